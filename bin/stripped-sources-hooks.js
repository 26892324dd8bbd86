// Preloaded (`--import`) into `firebreak serve` and, through the inherited flags, into its worker
// threads: see stripped-sources.js.
import { registerStrippedSourceHooks } from './stripped-sources.js';

registerStrippedSourceHooks();
