// Deterministic randomness shared by the seed-data generators: mulberry32 streams, one per data
// set, keyed by a label hashed with FNV-1a, so adding people never reshuffles patients.
/** mulberry32: a tiny 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to give each data set its own stream: adding people never reshuffles patients. */
function hashLabel(label) {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function createRandom(seed, label) {
  const next = mulberry32((seed ^ hashLabel(label)) >>> 0);
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => {
    if (list.length === 0) throw new Error("pick from an empty list");
    return list[Math.floor(next() * list.length)];
  };
  const chance = (p) => next() < p;
  /** Picks a key of `weights` ({ key: weight }) in proportion to its weight. */
  const weighted = (weights) => {
    const entries = Object.entries(weights);
    let r = next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1][0];
  };
  const digits = (n) => Array.from({ length: n }, () => String(int(0, 9))).join("");
  /** An RFC 4122 version-4-shaped UUID built from this stream. */
  const uuid = () => {
    const bytes = Array.from({ length: 16 }, () => int(0, 255));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  return { next, int, pick, chance, weighted, digits, uuid };
}
