// What a request needs (Docker token-auth "scopes"): repository:<name>:pull|push|delete, or
// registry:catalog:* for the catalog. Shared by every authorization mode.

export interface Access {
  type: 'repository' | 'registry';
  name: string;
  actions: string[];
}

export function scopeString(a: Access): string {
  return `${a.type}:${a.name}:${a.actions.join(',')}`;
}

/** Parse "repository:x/y:pull,push" (names may not contain colons; a port-less form is all we issue). */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = scope.slice(0, first);
  if (type !== 'repository' && type !== 'registry') return undefined;
  const actions = scope.slice(last + 1).split(',').filter(Boolean);
  return { type, name: scope.slice(first + 1, last), actions };
}

/** Does a set of grants cover `needed`? ("*" grants every action.) */
export function covers(grants: readonly Access[], needed: Access): boolean {
  return needed.actions.every((action) =>
    grants.some((g) => g.type === needed.type && g.name === needed.name && (g.actions.includes(action) || g.actions.includes('*'))));
}
