// Terminal and stream plumbing for attached commands.
export { openAttach, type AttachSession, type AttachStreams } from './attach';
export { proxySignals } from './signals';
export { monitorTtySize } from './tty-size';
export { confirm } from './prompt';
export { withHelp, toStatusError } from './run-errors';
