/**
 * The loss chart's geometry without the DOM: series from metrics lines, "nice" ticks, linear
 * scales and SVG path data. view.ts turns the model into SVG elements; the unit tests check
 * the numbers. No chart library: two lines, two axes and a legend are a few dozen lines here,
 * and a library would be the biggest thing in the page's bundle.
 */
import type { RunMetricDto } from '../../../shared/training';

export type Point = readonly [x: number, y: number];

export interface ChartSize {
	width: number;
	height: number;
	margin: { top: number; right: number; bottom: number; left: number };
}

export interface Tick {
	value: number;
	label: string;
	/** Pixel position along its axis. */
	at: number;
}

export interface ChartLine {
	name: 'loss' | 'evalLoss';
	/** SVG path data (`M…L…`); a single point is drawn as a dot at `last`. */
	path: string;
	points: number;
	last: { x: number; y: number; value: number; step: number };
}

export interface ChartModel {
	width: number;
	height: number;
	plot: { left: number; top: number; right: number; bottom: number };
	xTicks: Tick[];
	yTicks: Tick[];
	lines: ChartLine[];
	/** No loss value yet: the page shows a note instead of axes. */
	empty: boolean;
}

/** More points than this per line are thinned out before drawing (see thin). */
export const MAX_DRAWN_POINTS = 1500;

export const DEFAULT_SIZE: ChartSize = { width: 640, height: 260, margin: { top: 12, right: 16, bottom: 28, left: 52 } };

/**
 * Train and eval loss by step. Lines without a step take the step after the last one seen; a
 * step reported twice (a resumed run) keeps its latest value; non-finite values are skipped.
 */
export function lossSeries(metrics: readonly RunMetricDto[]): { loss: Point[]; evalLoss: Point[] } {
	const loss = new Map<number, number>();
	const evalLoss = new Map<number, number>();
	let lastStep = 0;
	for (const m of metrics) {
		const step = m.step ?? lastStep + 1;
		lastStep = step;
		if (m.loss !== undefined && Number.isFinite(m.loss)) loss.set(step, m.loss);
		if (m.evalLoss !== undefined && Number.isFinite(m.evalLoss)) evalLoss.set(step, m.evalLoss);
	}
	const sorted = (map: Map<number, number>): Point[] => [...map.entries()].sort((a, b) => a[0] - b[0]);
	return { loss: sorted(loss), evalLoss: sorted(evalLoss) };
}

/** The distance between ticks: 1, 2 or 5 times a power of ten, about `(max - min) / count`. */
export function tickStep(min: number, max: number, count: number): number {
	const raw = Math.abs(max - min) / Math.max(1, count);
	if (raw === 0 || !Number.isFinite(raw)) return 1;
	let step = 10 ** Math.floor(Math.log10(raw));
	const error = raw / step;
	if (error >= Math.sqrt(50)) step *= 10;
	else if (error >= Math.sqrt(10)) step *= 5;
	else if (error >= Math.sqrt(2)) step *= 2;
	return step;
}

/** Ticks on multiples of tickStep that cover [min, max]; the first and last frame the chart. */
export function niceTicks(min: number, max: number, count = 5): number[] {
	if (min === max) {
		const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
		return niceTicks(min - pad, max + pad, count);
	}
	const step = tickStep(min, max, count);
	const first = Math.floor(min / step);
	const last = Math.ceil(max / step);
	const ticks: number[] = [];
	for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
	return ticks;
}

/** Maps [d0, d1] onto [r0, r1]; a domain of one value maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
	if (d0 === d1) return () => (r0 + r1) / 2;
	return (value) => r0 + (value - d0) / (d1 - d0) * (r1 - r0);
}

/** `M52,12L100.5,40…` with one decimal, enough for a screen and a short string. */
export function linePath(points: readonly Point[], x: (v: number) => number, y: (v: number) => number): string {
	return points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${round1(x(px))},${round1(y(py))}`).join('');
}

/** A tick's text: as many decimals as the tick step needs, none for steps. */
export function tickLabel(value: number, step: number): string {
	const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
	return value.toFixed(decimals);
}

export function chartModel(metrics: readonly RunMetricDto[], size: ChartSize = DEFAULT_SIZE): ChartModel {
	const { width, height, margin } = size;
	const plot = { left: margin.left, top: margin.top, right: width - margin.right, bottom: height - margin.bottom };
	const series = lossSeries(metrics);
	const all = [...series.loss, ...series.evalLoss];
	if (all.length === 0) return { width, height, plot, xTicks: [], yTicks: [], lines: [], empty: true };

	const xs = all.map(([x]) => x);
	const ys = all.map(([, y]) => y);
	const yValues = niceTicks(minOf(ys), maxOf(ys), 5);
	const yStep = yValues.length > 1 ? yValues[1] - yValues[0] : 1;
	const y = linearScale(yValues[0], yValues.at(-1)!, plot.bottom, plot.top);
	// Steps are whole numbers: ticks of at least 1, and a single step sits in the middle.
	const [xMin, xMax] = [minOf(xs), maxOf(xs)];
	const xValues = xMin === xMax ? [xMin] : niceTicks(xMin, xMax, 6).filter((v) => Number.isInteger(v));
	const xDomain: [number, number] = xMin === xMax ? [xMin, xMax] : [Math.min(xValues[0], xMin), Math.max(xValues.at(-1)!, xMax)];
	const x = linearScale(xDomain[0], xDomain[1], plot.left, plot.right);

	const lines: ChartLine[] = [];
	for (const name of ['loss', 'evalLoss'] as const) {
		const points = series[name];
		if (points.length === 0) continue;
		const [lastX, lastY] = points.at(-1)!;
		lines.push({ name, path: linePath(thin(points, MAX_DRAWN_POINTS), x, y), points: points.length, last: { x: round1(x(lastX)), y: round1(y(lastY)), value: lastY, step: lastX } });
	}
	return {
		width, height, plot, lines, empty: false,
		xTicks: xValues.map((value) => ({ value, label: String(value), at: round1(x(value)) })),
		yTicks: yValues.map((value) => ({ value, label: tickLabel(value, yStep), at: round1(y(value)) })),
	};
}

/** Tokens per second (latest and mean) and peak GPU memory, for the stat boxes beside the chart. */
export function throughput(metrics: readonly RunMetricDto[]): { latestTokensPerSecond?: number; meanTokensPerSecond?: number; peakGpuMemoryGb?: number; lastStep?: number } {
	const speeds = metrics.map((m) => m.tokensPerSecond).filter((v): v is number => v !== undefined && Number.isFinite(v));
	const memory = metrics.map((m) => m.gpuMemoryGb).filter((v): v is number => v !== undefined && Number.isFinite(v));
	const steps = metrics.map((m) => m.step).filter((v): v is number => v !== undefined);
	return {
		latestTokensPerSecond: speeds.at(-1),
		meanTokensPerSecond: speeds.length > 0 ? speeds.reduce((a, b) => a + b, 0) / speeds.length : undefined,
		peakGpuMemoryGb: memory.length > 0 ? maxOf(memory) : undefined,
		lastStep: steps.length > 0 ? maxOf(steps) : undefined,
	};
}

/**
 * At most `max` points, evenly spaced, always with the first and last: a path of a long run's
 * every step would be larger than the plot has pixels.
 */
export function thin(points: readonly Point[], max: number): readonly Point[] {
	if (points.length <= max) return points;
	const every = (points.length - 1) / (max - 1);
	return Array.from({ length: max }, (_, i) => points[Math.round(i * every)]);
}

// Not Math.min(...values): a long run has more steps than a call may take arguments.
function minOf(values: readonly number[]): number {
	return values.reduce((a, b) => (b < a ? b : a), Infinity);
}

function maxOf(values: readonly number[]): number {
	return values.reduce((a, b) => (b > a ? b : a), -Infinity);
}

function round1(value: number): number {
	return Math.round(value * 10) / 10;
}
