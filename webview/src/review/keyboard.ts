/**
 * The findings grid's keys, as data: the footer's help text and the handler read the same
 * table, so they cannot drift apart.
 */
export type KeyCommand =
	| 'next' | 'previous' | 'first' | 'last' | 'toggle'
	| 'confirm' | 'false-positive' | 'block' | 'release' | 'open-transcript';

interface Binding {
	keys: string[];
	command: KeyCommand;
	help: string;
}

const BINDINGS: Binding[] = [
	{ keys: ['ArrowDown', 'j'], command: 'next', help: '↓/j next' },
	{ keys: ['ArrowUp', 'k'], command: 'previous', help: '↑/k previous' },
	{ keys: ['Home'], command: 'first', help: 'Home/End first/last' },
	{ keys: ['End'], command: 'last', help: '' },
	{ keys: [' '], command: 'toggle', help: 'Space select' },
	{ keys: ['c'], command: 'confirm', help: 'c confirm' },
	{ keys: ['f'], command: 'false-positive', help: 'f false positive' },
	{ keys: ['b'], command: 'block', help: 'b block session' },
	{ keys: ['r'], command: 'release', help: 'r release session' },
	{ keys: ['Enter'], command: 'open-transcript', help: 'Enter open transcript' },
];

/** The command for a keydown, or undefined; modified keys (Ctrl+C, Alt+…) are left to the browser and the editor. */
export function keyCommand(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): KeyCommand | undefined {
	if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
	return BINDINGS.find((binding) => binding.keys.includes(event.key))?.command;
}

/** Space and Enter belong to a focused button or checkbox inside a row; the others work anywhere in the grid. */
export function yieldsToControl(command: KeyCommand): boolean {
	return command === 'toggle' || command === 'open-transcript';
}

export const KEY_HELP = BINDINGS.map((binding) => binding.help).filter(Boolean).join(' · ');
