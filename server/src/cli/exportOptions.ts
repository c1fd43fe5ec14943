/** The CLI flags of `export` beyond the quality ones: where, which formats, how samples are cut. */
import { FORMAT_NAMES, isFormatName, type ExportSettings, type FormatName } from '../../../shared/dataset';
import { UsageError, type CliOptions } from './command';
import { choiceOf, numberOf, wholeOf } from './qualityOptions';

export const EXPORT_USAGE = `Export (export, quickstart):
  --out DIR                                      the datasets folder; each export writes DIR/NAME/vN (never overwrites)
  --name NAME                                    dataset name (default tracemint-dataset)
  --format F[,F...]                              ${FORMAT_NAMES.join(', ')}
                                                 (default openai_chat; all: every format)
  --train-on all|final                           which assistant turns are trained, where the format can say so
  --max-tokens-per-sample N                      split longer sessions at turn boundaries (default: no limit)
  --min-margin X                                 rollout pairs: least reward difference (default 0.1)
  --parquet                                      also write each split as Parquet`;

/** String-valued flags parsed here (declared once for the argument parser); --parquet is boolean. */
export const EXPORT_FLAGS = ['name', 'format', 'train-on', 'max-tokens-per-sample', 'min-margin'] as const;

export function exportSettingsOf(options: CliOptions, out: string): ExportSettings {
	return {
		out,
		...(options.name !== undefined && { name: options.name }),
		...(options.format !== undefined && { formats: formatsOf(options.format) }),
		...(options['train-on'] !== undefined && { trainOn: choiceOf('--train-on', options['train-on'], ['all', 'final'] as const) }),
		...(options['max-tokens-per-sample'] !== undefined && { maxTokensPerSample: wholeOf('--max-tokens-per-sample', options['max-tokens-per-sample']) }),
		...(options['min-margin'] !== undefined && { minRewardMargin: numberOf('--min-margin', options['min-margin']) }),
		...(options.parquet === true && { parquet: true }),
	};
}

function formatsOf(text: string): FormatName[] {
	const names = text.split(',').map((n) => n.trim()).filter(Boolean);
	if (names.length === 1 && names[0] === 'all') {
		return [...FORMAT_NAMES];
	}
	const unknown = names.filter((n) => !isFormatName(n));
	if (names.length === 0 || unknown.length > 0) {
		throw new UsageError(`--format takes one or more of ${FORMAT_NAMES.join(', ')} (or all), comma-separated (got "${text}")`);
	}
	return names as FormatName[];
}
