// An `ip monitor`-style program: prints each event as one line, in the same
// text as `rtnl monitor` (the library's printer, createPrinter).
//   node examples/monitor.mjs            # the host namespace
//   node examples/monitor.mjs NAME       # the `ip netns` namespace NAME
import { subscribe, createPrinter } from 'rtnl'

const name = process.argv[2]
const netns = name ? { name } : 'host'
const monitor = await subscribe({ netns })
process.on('SIGINT', () => monitor.stop())

// Link names, as `ip` keeps them: a dump now, then every link event, and the
// kernel asked when an event names a link the printer does not know yet.
const printer = createPrinter({ netns })
await printer.load()
console.error(`watching ${name ? `netns ${name}` : 'the host namespace'}; Ctrl-C to stop`)

for await (const msg of monitor) {
  // e.g. [ROUTE] new local 10.9.0.1 dev a0 table local proto kernel scope host src 10.9.0.1
  console.log(await printer.line(msg))
}
