/** " (did you mean: a, b?)" for an unknown name, from edit distance; empty when nothing is close. */
export function closest(name: string, known: readonly string[], max = 3): string {
  const scored = known
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 3)) || k.includes(name) || name.includes(k))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map(({ k }) => k);
  return scored.length ? ` (did you mean: ${scored.join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
