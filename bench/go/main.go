// Burst consumer: vishvananda/netlink, RouteSubscribeWithOptions.
//
//	go run . EXPECTED
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
)

func main() {
	expected, _ := strconv.Atoi(os.Args[1])
	updates := make(chan netlink.RouteUpdate, 1024)
	done := make(chan struct{})
	errs := 0
	err := netlink.RouteSubscribeWithOptions(updates, done, netlink.RouteSubscribeOptions{
		ErrorCallback:     func(error) { errs++ },
		ReceiveBufferSize: 4 * 1024 * 1024,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	events, ready, survived := 0, false, true
	finish := func() {
		out, _ := json.Marshal(map[string]any{"events": events, "resyncs": errs, "survived": survived})
		fmt.Println(string(out))
		os.Exit(0)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	idle := time.NewTimer(60 * time.Second)
	for {
		select {
		case <-sigs:
			finish()
		case <-idle.C:
			finish()
		case u, ok := <-updates:
			if !ok {
				// The library closes the channel after a receive error (ENOBUFS).
				survived = false
				finish()
			}
			if u.Dst == nil {
				continue
			}
			ones, _ := u.Dst.Mask.Size()
			if u.Dst.IP.String() == "10.255.255.0" {
				if !ready {
					fmt.Println("READY")
				}
				ready = true
				continue
			}
			if !ready || ones != 32 {
				continue
			}
			events++
			idle.Reset(3 * time.Second)
			if events == expected {
				finish()
			}
		}
	}
}
