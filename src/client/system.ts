// Typed system endpoints: version, info, disk usage, events.
import type { IncomingMessage } from 'node:http';
import type { EngineClient } from './http-client';
import type { DiskUsageResponse, Filters, InfoResponse, VersionResponse } from './types';
import { encodeFilters } from './filters';

export class SystemApi {
  constructor(private readonly c: EngineClient) {}

  version(): Promise<VersionResponse> {
    return this.c.json({ path: '/version' });
  }

  info(): Promise<InfoResponse> {
    return this.c.json({ path: '/info' });
  }

  diskUsage(): Promise<DiskUsageResponse> {
    return this.c.json({ path: '/system/df' });
  }

  /** The event stream (JSON lines); ends when `until` passes or the signal aborts. */
  events(o: { since?: string; until?: string; filters?: Filters; signal?: AbortSignal } = {}): Promise<IncomingMessage> {
    return this.c.request({
      path: '/events',
      query: { since: o.since, until: o.until, filters: encodeFilters(o.filters) },
      signal: o.signal,
    });
  }
}
