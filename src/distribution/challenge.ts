// WWW-Authenticate parsing (RFC 7235 challenges as registries send them):
//   Bearer realm="https://auth.example/token",service="registry",scope="repository:x:pull"
//   Basic realm="basic-realm"
export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  const out: Challenge[] = [];
  for (const value of values) {
    const re = /([A-Za-z][A-Za-z0-9_-]*)(?:\s+|$)((?:[A-Za-z0-9_-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)*)/g;
    for (let m = re.exec(value); m && m[0] !== ''; m = re.exec(value)) {
      const scheme = m[1].toLowerCase();
      const params: Record<string, string> = {};
      const pr = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
      for (let p = pr.exec(m[2]); p; p = pr.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
      if (scheme === 'basic' || scheme === 'bearer') out.push({ scheme, params });
    }
  }
  return out;
}
