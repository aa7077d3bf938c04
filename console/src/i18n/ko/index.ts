import { incidents } from './incidents';
import { lines } from './lines';
import { changes } from './changes';
import { reviews } from './reviews';
import { audit } from './audit';
import { admin } from './admin';
import { bills } from './bills';

/**
 * The console's Korean catalogue: the first language, and the list of every key. One catalogue,
 * kept in a file per area of pages so that the areas grow apart; a key names its area where it
 * could be mistaken for another's.
 */
export const ko = { ...incidents, ...lines, ...changes, ...reviews, ...audit, ...admin, ...bills };

export type MessageKey = keyof typeof ko;
