// Word lists for generated container names (our own selection: moods, and people
// who shaped computing, mathematics and the sciences).

export const ADJECTIVES: readonly string[] = [
  'able', 'agile', 'amazing', 'amused', 'ardent', 'awake', 'bold', 'brave', 'bright', 'brisk',
  'calm', 'candid', 'careful', 'charming', 'cheerful', 'clever', 'cool', 'cosmic', 'curious', 'daring',
  'dazzling', 'eager', 'earnest', 'elated', 'elegant', 'epic', 'fair', 'fearless', 'festive', 'fond',
  'friendly', 'gallant', 'gentle', 'gifted', 'glad', 'golden', 'graceful', 'happy', 'hardy', 'hopeful',
  'humble', 'jolly', 'jovial', 'keen', 'kind', 'lively', 'loyal', 'lucid', 'lucky', 'merry',
  'mellow', 'mindful', 'modest', 'nimble', 'noble', 'patient', 'peaceful', 'placid', 'plucky', 'polite',
  'proud', 'quick', 'quiet', 'radiant', 'rapid', 'relaxed', 'serene', 'sharp', 'shiny', 'sincere',
  'sleepy', 'smart', 'snappy', 'steady', 'stoic', 'sunny', 'swift', 'tender', 'thoughtful', 'tidy',
  'upbeat', 'valiant', 'vibrant', 'vivid', 'warm', 'wise', 'witty', 'zealous', 'zen', 'zesty',
];

export const SURNAMES: readonly string[] = [
  'agnesi', 'allen', 'archimedes', 'babbage', 'backus', 'bardeen', 'bell', 'bernoulli', 'boole', 'borg',
  'brahmagupta', 'cantor', 'carson', 'cerf', 'chandrasekhar', 'church', 'clarke', 'codd', 'conway', 'copernicus',
  'curie', 'darwin', 'dijkstra', 'easley', 'einstein', 'engelbart', 'erdos', 'euclid', 'euler', 'faraday',
  'fermat', 'feynman', 'fibonacci', 'franklin', 'galileo', 'gauss', 'germain', 'goldberg', 'goodall', 'hamilton',
  'hamming', 'hawking', 'hertz', 'hilbert', 'hodgkin', 'hollerith', 'hopper', 'hypatia', 'jackson', 'johnson',
  'kahan', 'kepler', 'khorana', 'knuth', 'kowalevski', 'lamarr', 'lamport', 'laplace', 'leavitt', 'liskov',
  'lovelace', 'maxwell', 'mccarthy', 'meitner', 'mendel', 'minsky', 'mirzakhani', 'morse', 'napier', 'newton',
  'noether', 'pascal', 'pasteur', 'perlman', 'planck', 'poincare', 'ramanujan', 'raman', 'ride', 'ritchie',
  'rosalind', 'sammet', 'shannon', 'shockley', 'somerville', 'stallman', 'tesla', 'thompson', 'torvalds', 'turing',
  'vaughan', 'volta', 'wilkes', 'wing', 'wozniak', 'wright', 'yalow', 'yonath', 'zuse',
];
