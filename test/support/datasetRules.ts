/**
 * The tests' own validators of every dataset format's public rules, written from the format
 * documentation rather than from the exporter (nothing here imports server/src/core/export), so
 * a bug the exporter's validator shares with its writer still shows up. One module per family
 * under datasetRules/.
 */
export { validateRow, ROW_RULES } from './datasetRules/rows';
export { checkFileUniformity, type RowProblem } from './datasetRules/uniformity';
export { validateDatasetFolder, problemLines, type FolderProblem, type FolderReport } from './datasetRules/folder';
