// The CLI's own version (kept apart from main.ts so commands can import it cheaply).
export const BERTH_VERSION = '0.1.0';
