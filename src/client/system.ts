// Typed system endpoints: version, info, disk usage, events.
import type { IncomingMessage } from 'node:http';
import type { EngineClient } from './http-client';
import type { DiskUsageResponse, Filters, InfoResponse, VersionResponse } from './types';
import { encodeFilters } from './filters';
import type { RegistryAuth } from './registry-auth';

export class SystemApi {
  constructor(private readonly c: EngineClient) {}

  version(): Promise<VersionResponse> {
    return this.c.json({ path: '/version' });
  }

  info(): Promise<InfoResponse> {
    return this.c.json({ path: '/info' });
  }

  /** POST /auth: checks credentials with the registry (401 when refused). */
  login(auth: RegistryAuth): Promise<{ Status: string; IdentityToken?: string }> {
    return this.c.json({ method: 'POST', path: '/auth', body: auth });
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
