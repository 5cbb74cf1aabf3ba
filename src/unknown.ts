import type { UnknownAttribute } from './generated/wire'
export type { UnknownAttribute } from './generated/wire'

