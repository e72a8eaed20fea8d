// Package bot is Banban's dialogue: it reads a citizen's message, decides
// whether to answer, ask back, hand over to staff or decline, and composes an
// answer from the official text only, with citations. It keeps each
// conversation's focus so follow-ups (那要收费吗?) resolve against the item
// asked about before.
package bot
