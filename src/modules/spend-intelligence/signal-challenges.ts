/** A challenge as the search for similar ones gives it. */
export interface FoundChallenge {
  id: number;
  title: string;
  problem: string;
}

/** Finds challenges like a text (the challenges module's own search, passed in at wiring time). */
export interface ChallengeFinder {
  findSimilarChallenges(text: string, options: { limit?: number }): Promise<readonly FoundChallenge[]>;
}

/**
 * Words that say nothing about what was bought: legal forms, the words of every signal ("councils", "together"),
 * and the catch-all words of ledgers ("other", "general", "services").
 */
const EMPTY_WORDS = new Set(
  (
    'limited ltd plc llp cic company group holdings trading services service solutions council councils borough county ' +
    'city district authority together buying contract contracts payments payment other others general miscellaneous misc ' +
    'sundry sundries various costs cost charges expenses expenditure fees supplies supply goods works the and for with from ' +
    'this that their than uk england'
  ).split(' '),
);

/** The words of a signal worth matching on: four letters or more, and not among the empty words. */
export function signalWords(texts: readonly (string | null | undefined)[]): string[] {
  const words = texts
    .flatMap((text) => (text ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u))
    .filter((word) => word.length >= 4 && !EMPTY_WORDS.has(word) && !/^\d+$/.test(word));
  return [...new Set(words)];
}

/** Whether a text holds a word, allowing a plural or other ending ("repairs" and "repair", "housing" and "houses"). */
function mentions(text: string, word: string): boolean {
  const stem = word.length > 5 ? word.slice(0, word.length - 2) : word.replace(/s$/, '');
  return new RegExp(`(^|[^\\p{L}])${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(text);
}

/**
 * The challenge a signal should suggest: among those the search finds for the signal's words, the first whose title
 * or problem mentions one of them. None when the signal has no telling words or no challenge shares one, rather than
 * the challenge that best matches the words every signal has.
 */
export async function findSignalChallenge(finder: ChallengeFinder | undefined, words: readonly string[]): Promise<FoundChallenge | null> {
  if (!finder || words.length === 0) return null;
  const found = await finder.findSimilarChallenges(words.join(' '), { limit: 5 });
  return (
    found.find((challenge) => {
      const text = `${challenge.title} ${challenge.problem}`.toLowerCase();
      return words.some((word) => mentions(text, word));
    }) ?? null
  );
}
