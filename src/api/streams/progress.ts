// Docker's JSON progress stream (pull, push): one JSON message per line (CRLF as
// dockerd writes them). The 200 and headers go out with the first message, so an
// error before any progress is still a plain HTTP error (as dockerd's
// WriteFlusher behaves); after that an error is an errorDetail message.
import type * as http from 'node:http';
import { errorMessage } from '../../errors';
import { statusOf } from '../errors';

export class ProgressStream {
  private started = false;

  constructor(private readonly res: http.ServerResponse) {}

  get hasStarted(): boolean { return this.started; }

  readonly send = (message: object): void => {
    if (!this.started) {
      this.started = true;
      this.res.writeHead(200, { 'Content-Type': 'application/json' });
    }
    if (!this.res.destroyed) this.res.write(JSON.stringify(message) + '\r\n');
  };

  /** Ends the stream; an error after the first message becomes Docker's errorDetail line. */
  finish(err?: unknown): void {
    if (err !== undefined) {
      if (!this.started) throw err;
      const message = errorMessage(err);
      this.send({ errorDetail: { code: statusOf(err) === 401 ? 401 : undefined, message }, error: message });
    } else if (!this.started) {
      this.send({ status: '' });
    }
    this.res.end();
  }
}
