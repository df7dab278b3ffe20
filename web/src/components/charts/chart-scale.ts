/** Scales and "nice" axis ticks for the hand-drawn SVG charts. */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const nice = [1, 2, 2.5, 5, 10]
    .map((factor) => factor * magnitude)
    .find((candidate) => candidate >= rough)!;
  // Counts (requests, tokens) get whole-number ticks.
  const step = integer ? Math.max(1, Math.ceil(nice)) : nice;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 0.999; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

export function linear(domainMax: number, rangeStart: number, rangeEnd: number): (value: number) => number {
  const span = domainMax || 1;
  return (value) => rangeStart + ((rangeEnd - rangeStart) * value) / span;
}

/** Eight colours that stay apart for common colour-vision deficiencies (IBM's categorical set). */
export const seriesColours = [
  '#0f62fe',
  '#ee538b',
  '#009d9a',
  '#8a3ffc',
  '#b28600',
  '#198038',
  '#fa4d56',
  '#002d9c',
];

export function colourOf(index: number): string {
  return seriesColours[index % seriesColours.length]!;
}
