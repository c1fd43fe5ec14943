/**
 * What every dataset format is: a name, what it is made from (each chat sample, or each
 * preference pair), the rows it writes for one input, a validator of its public rules run on
 * every row before it is written, and the column types a loader should use.
 */
import type { FormatName } from '../../../../../shared/dataset';
import type { ChatSample } from '../chatSample';
import type { PreferencePair } from '../preference/pair';

export type { FormatName } from '../../../../../shared/dataset';

/**
 * Column types in the terms of Hugging Face `datasets` features. `json` is a free-form JSON value
 * (tool-call arguments, tool schemas): Arrow cannot give it one type across rows, so the dataset
 * card declares it `json` and Parquet stores it as a JSON string.
 */
export type Feature = 'string' | 'bool' | 'int64' | 'float64' | 'json' | { list: Feature } | { struct: Record<string, Feature> };

/** Collects what a writer had to change or could not express, by reason (summed into the validation report). */
export interface FormatNotes {
	/** A sample (or pair) the format cannot express; nothing is written for it. */
	dropped(reason: string): void;
	/** A change made so the row fits the format's rules (merged turns, placeholder text…). */
	fixed(reason: string, count?: number): void;
}

interface FormatBase {
	readonly name: FormatName;
	/** One line for the dataset card: what the rows are and which trainer reads them. */
	readonly description: string;
	/** Hugging Face task category for the card. */
	readonly taskCategory: 'text-generation' | 'text-classification' | 'reinforcement-learning';
	/** Every row's columns, in order; every row has exactly these keys. */
	readonly features: Record<string, Feature>;
	/** Problems with one row by the format's public rules (empty = valid). Run on every row before it is written. */
	validate(row: unknown): string[];
}

export interface ChatFormat<Row = unknown> extends FormatBase {
	readonly source: 'chat';
	/** Plain JSON rows; the export drops (and reports) any row `validate` rejects, so writers aim for none. */
	rows(sample: ChatSample, notes: FormatNotes): Row[];
}

export interface PairFormat<Row = unknown> extends FormatBase {
	readonly source: 'pair';
	rows(pair: PreferencePair, notes: FormatNotes): Row[];
}

export type DatasetFormat = ChatFormat | PairFormat;
