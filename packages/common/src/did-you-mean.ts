/**
 * "Did you mean …?" for a mistyped name: an option key, a job field, a file. A candidate
 * counts as meant when it has the same letters in another case (`groupby` → `groupBy`),
 * when it begins with the word (`maxRows` → `maxRowsPerBatch`, three letters at least),
 * or when few edits turn one into the other: one for words of up to three letters, else
 * two or a third of the word's letters, whichever is more (a swap of two letters, the
 * commonest typo, is two). The closest wins, the first one on a tie.
 */
import { distance } from 'fastest-levenshtein';

/** The candidate `word` most likely meant, or undefined when none is close enough. */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== word);
  const lower = word.toLowerCase();
  const sameLetters = list.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const prefixOf = word.length >= 3 ? list.find((c) => c.toLowerCase().startsWith(lower)) : undefined;
  if (prefixOf !== undefined) return prefixOf;
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of list) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** ` Did you mean "x"?`, to append to a message, or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const name = closestName(word, candidates);
  return name === undefined ? '' : ` Did you mean "${name}"?`;
}
