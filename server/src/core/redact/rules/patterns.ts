/** Regex source shared by the rules that anchor a value to a name (`NAME = value`). */

/** Assignment operators of code and config files: `=`, `:`, `:=`, `::=`, `:::=` (Makefile), `?=`, `=>`. */
export const OP = String.raw`(?:=>|:{1,3}=|\?=|=|:)`;

/** From the end of a name to the start of its value: optional closing quote (also JSON-escaped), operator, optional opening quote. */
export const NAME_TO_VALUE = String.raw`\\?["']?\s{0,4}${OP}\s{0,4}\\?["']?`;
