/** A kernel attribute this version does not decode, kept as hex. */
export interface UnknownAttribute {
  type: number
  data: string
}
