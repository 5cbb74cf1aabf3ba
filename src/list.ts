/**
 * The dump behind every `<kind>.list()`: the binding dumps on a dedicated
 * thread and encodes with the same code that encodes events, so a listed
 * object and an event's resource for the same kernel object are deep-equal.
 */
import { fromNative } from './errors'
import { native } from './native'
import { validateListOptions, ListOptions } from './options'

export type KindName = 'links' | 'addresses' | 'routes' | 'rules' | 'neighbours'

/** A kernel attribute this version does not decode, kept as hex. */
export interface UnknownAttribute {
  type: number
  data: string
}

export async function listKind<T>(kind: KindName, opts: ListOptions | undefined): Promise<T[]> {
  const netns = validateListOptions(opts, `${kind}.list`)
  let json: string
  try {
    json = await native().list(kind, JSON.stringify(netns))
  } catch (err) {
    throw fromNative(err)
  }
  return JSON.parse(json) as T[]
}
