// The batch format the addon hands over (crates/rtnl-node/src/shaped.rs):
// decoded as the plain JSON of the same objects would parse, and safe
// against keys that mean something to JS objects.
import test from 'ava'
import { decodeBatch } from '../dist/batch.js'

test('rows become objects with their shape keys in order; sequences and maps nest', (t) => {
  const text = JSON.stringify([
    [
      [2, 'eth0', [[1, 'a', 1], [2, 'b', 1], -1], ['rx', [5, 2], 'tx', 6, -2], 0],
      [3, null, [-1], [-2], 0],
      null,
      7,
    ],
    [['index', 'name', '*hops', '*stats'], ['weight', 'via'], ['bytes']],
  ])
  const got = decodeBatch(text)
  t.deepEqual(got, [
    { index: 2, name: 'eth0', hops: [{ weight: 1, via: 'a' }, { weight: 2, via: 'b' }], stats: { rx: { bytes: 5 }, tx: 6 } },
    { index: 3, name: null, hops: [], stats: {} },
    null,
    7,
  ])
  t.deepEqual(Object.keys(got[0]), ['index', 'name', 'hops', 'stats'])
  t.is(JSON.stringify(got[0]), '{"index":2,"name":"eth0","hops":[{"weight":1,"via":"a"},{"weight":2,"via":"b"}],"stats":{"rx":{"bytes":5},"tx":6}}')
})

test('a __proto__ key, in a map or as a field, is an own property and never a prototype', (t) => {
  const text = JSON.stringify([[['__proto__', [1, 0], -2], [{ polluted: true }, 1]], [['x'], ['__proto__']]])
  const [map, row] = decodeBatch(text)
  t.is(Object.getPrototypeOf(map), Object.prototype)
  t.deepEqual(Object.getOwnPropertyDescriptor(map, '__proto__').value, { x: 1 })
  t.is(Object.getPrototypeOf(row), Object.prototype)
  t.deepEqual(Object.getOwnPropertyDescriptor(row, '__proto__').value, { polluted: true })
  t.is({}.polluted, undefined)
})

test('an unknown tag is an error that names it', (t) => {
  const err = t.throws(() => decodeBatch('[[[1,-7]],[]]'))
  t.is(err.message, 'rtnl: a batch from the native addon has a value tagged -7')
})
