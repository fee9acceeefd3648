// Engine events → Docker's events.Message JSON, and Docker's events filter.
import type { EngineEvent } from '../../events';
import { type FilterMap, validateFilterKeys } from '../filters';

export const EVENT_FILTER_KEYS = [
  'config', 'container', 'daemon', 'event', 'image', 'label', 'network',
  'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume',
] as const;

/** Docker still sends the pre-1.22 fields status/id/from for container and image events. */
export function eventJson(event: EngineEvent): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (event.Type === 'container' || event.Type === 'image') {
    body.status = event.Action;
    body.id = event.Actor.ID;
    if (event.Type === 'container' && event.Actor.Attributes.image !== undefined) body.from = event.Actor.Attributes.image;
  }
  Object.assign(body, {
    Type: event.Type,
    Action: event.Action,
    Actor: event.Actor,
    scope: event.scope,
    time: event.time,
    timeNano: event.timeNano,
  });
  return body;
}

function stripTag(ref: string): string {
  if (ref.includes('@')) return ref.slice(0, ref.indexOf('@'));
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

/** Docker's FuzzyMatch: exact, or the source starts with a filter value (ID prefixes). */
function fuzzy(values: string[], source: string | undefined): boolean {
  if (source === undefined || source === '') return false;
  return values.some((v) => v === source || source.startsWith(v));
}

function exact(values: string[], source: string | undefined): boolean {
  return source !== undefined && source !== '' && values.includes(source);
}

function matchLabel(values: string[], attributes: Record<string, string>): boolean {
  return values.every((v) => {
    const eq = v.indexOf('=');
    if (eq < 0) return Object.prototype.hasOwnProperty.call(attributes, v);
    return attributes[v.slice(0, eq)] === v.slice(eq + 1);
  });
}

export type EventFilter = (event: EngineEvent) => boolean;

export function compileEventFilter(filters: FilterMap): EventFilter {
  validateFilterKeys(filters, EVENT_FILTER_KEYS);
  const f = (key: string): string[] | undefined => (filters[key] && filters[key].length > 0 ? filters[key] : undefined);
  return (ev) => {
    const attrs = ev.Actor.Attributes;
    const type = f('type');
    if (type && !type.includes(ev.Type)) return false;
    const action = f('event');
    if (action && !action.includes(ev.Action) && !action.includes(ev.Action.split(':')[0])) return false;
    const scope = f('scope');
    if (scope && !scope.includes(ev.scope)) return false;
    const label = f('label');
    if (label && !matchLabel(label, attrs)) return false;
    const container = f('container');
    if (container && !(ev.Type === 'container' && (fuzzy(container, ev.Actor.ID) || fuzzy(container, attrs.name)))) return false;
    const image = f('image');
    if (image) {
      const name = ev.Type === 'image' ? attrs.name : attrs.image;
      const ok = exact(image, ev.Actor.ID) || exact(image, name) || exact(image, stripTag(ev.Actor.ID)) || (name !== undefined && exact(image, stripTag(name)));
      if (!ok) return false;
    }
    for (const kind of ['daemon', 'network', 'volume', 'plugin', 'node', 'service', 'secret', 'config'] as const) {
      const values = f(kind);
      if (values && !(ev.Type === kind && (fuzzy(values, ev.Actor.ID) || fuzzy(values, attrs.name)))) return false;
    }
    return true;
  };
}
