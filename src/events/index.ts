// In-process event bus with a bounded history, the source of GET /events.
// Event shape follows Docker's events.Message (Type, Action, Actor, scope, time, timeNano).

export type EventType = 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'node' | 'service' | 'secret' | 'config' | 'builder';

export interface EngineEvent {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local' | 'swarm';
  time: number; // seconds
  timeNano: number; // nanoseconds since epoch (fits a double with µs precision)
}

export type EventListener = (event: EngineEvent) => void;

const HISTORY_LIMIT = 1024;

export class EventBus {
  private readonly history: EngineEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private lastNano = 0;

  publish(type: EventType, action: string, id: string, attributes: Record<string, string> = {}): EngineEvent {
    // Strictly increasing timestamps keep since/until filtering and ordering exact.
    let nano = Number(process.hrtime.bigint() - hrtimeOrigin) + wallOriginNano;
    if (nano <= this.lastNano) nano = this.lastNano + 1;
    this.lastNano = nano;
    const event: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Math.floor(nano / 1e9),
      timeNano: nano,
    };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) {
      try { listener(event); } catch { /* a broken subscriber must not break the engine */ }
    }
    return event;
  }

  /** Past events with timeNano in [sinceNano, untilNano]. */
  past(sinceNano: number, untilNano = Infinity): EngineEvent[] {
    return this.history.filter((e) => e.timeNano >= sinceNano && e.timeNano <= untilNano);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
}

const hrtimeOrigin = process.hrtime.bigint();
const wallOriginNano = Date.now() * 1e6;
