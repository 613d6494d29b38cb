import { OUTCOME_COLUMN_LABELS, OUTCOME_COLUMNS, quarterText, type ImpactFigures, type OutcomeColumn } from "../../domain/impact.ts";

/**
 * Each outcome's colour. On white each has at least 3:1 contrast (the dark
 * ones far more), and segments are parted by a white line, so neighbours stay
 * apart for people who tell these colours apart poorly; the table beside the
 * chart holds the same figures. "No outcome yet" is white with a dark edge.
 * Colours are presentation attributes, not style: the CSP allows no inline
 * style, and the chart needs no stylesheet to be read.
 */
const OUTCOME_COLOURS: Record<OutcomeColumn, { fill: string; stroke: string }> = {
  acknowledged: { fill: "#1d4f91", stroke: "#ffffff" },
  informed: { fill: "#00703c", stroke: "#ffffff" },
  referred: { fill: "#a34a00", stroke: "#ffffff" },
  "not-used": { fill: "#505a5f", stroke: "#ffffff" },
  none: { fill: "#ffffff", stroke: "#0b0c0c" },
};

const TEXT = "#0b0c0c";
const GRID = "#6f777b";
const HEIGHT = 260;
const TOP = 24;
const BOTTOM = 40;
const LEFT = 44;
const RIGHT = 12;
const SLOT = 64;
const BAR = 36;

/** A round step for the axis: 1, 2 or 5 times a power of ten, so that about four steps reach the largest bar. */
function axisStep(largest: number): number {
  const rough = Math.max(1, largest / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return Math.max(1, step);
}

/** One quarter's outcomes, counted, in words: the bar's title. */
const barWords = (figures: ImpactFigures) =>
  `${quarterText(figures.quarter!)}: ${figures.repliesTotal} ${figures.repliesTotal === 1 ? "reply" : "replies"}`;

/** A colour swatch for the legend, drawn like the chart's segments. */
export function Swatch({ column }: { column: OutcomeColumn }) {
  const { fill, stroke } = OUTCOME_COLOURS[column];
  return (
    <svg class="swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="0.5" y="0.5" width="15" height="15" fill={fill} stroke={column === "none" ? stroke : fill} />
    </svg>
  );
}

/**
 * Outcomes of replies per quarter as stacked bars: a server-drawn SVG, read
 * without JavaScript or anything fetched. Screen readers get its title and
 * description (the figures themselves are in the table beside it); each
 * segment has a title, shown when pointed at.
 */
export function OutcomeChart({ id, quarters }: { id: string; quarters: ImpactFigures[] }) {
  const largest = Math.max(0, ...quarters.map((q) => q.repliesTotal));
  const step = axisStep(largest);
  const top = Math.max(step, Math.ceil(largest / step) * step);
  const plot = HEIGHT - TOP - BOTTOM;
  // Room for three quarters at least, so that a young community's chart is not a sliver.
  const width = LEFT + RIGHT + SLOT * Math.max(3, quarters.length);
  // To a tenth of a unit: finer says nothing on a screen and only lengthens the page.
  const y = (value: number) => Math.round((TOP + plot - (value / top) * plot) * 10) / 10;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const busiest = quarters.find((q) => q.repliesTotal === largest);
  const description =
    quarters.length === 0
      ? "No consultation has closed yet."
      : `${quarters.length} ${quarters.length === 1 ? "quarter" : "quarters"}, from ${quarterText(quarters[0]!.quarter!)} to ${quarterText(quarters.at(-1)!.quarter!)}; ` +
        `the most replies in a quarter: ${largest}${busiest && largest > 0 ? `, in ${quarterText(busiest.quarter!)}` : ""}. The table beside the chart gives every figure.`;
  return (
    <svg
      class="outcome-chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      font-family="system-ui, sans-serif"
      font-size="12"
    >
      <title id={`${id}-title`}>Outcomes of replies to consultations, per quarter</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <rect x="0" y="0" width={width} height={HEIGHT} fill="#ffffff" />
      {ticks.map((tick) => (
        <g>
          <line x1={LEFT} x2={width - RIGHT} y1={y(tick)} y2={y(tick)} stroke={GRID} stroke-width={tick === 0 ? 1.5 : 0.5} />
          <text x={LEFT - 6} y={y(tick) + 4} text-anchor="end" fill={TEXT}>
            {tick}
          </text>
        </g>
      ))}
      {quarters.map((figures, i) => {
        const x = LEFT + SLOT * i + (SLOT - BAR) / 2;
        let below = 0;
        return (
          <g>
            <title>{barWords(figures)}</title>
            {OUTCOME_COLUMNS.map((column) => {
              const count = figures.outcomes[column];
              if (count === 0) return null;
              const { fill, stroke } = OUTCOME_COLOURS[column];
              const segment = (
                <rect
                  x={x}
                  y={y(below + count)}
                  width={BAR}
                  height={Math.round((y(below) - y(below + count)) * 10) / 10}
                  fill={fill}
                  stroke={stroke}
                  stroke-width="1"
                >
                  <title>{`${quarterText(figures.quarter!)}: ${OUTCOME_COLUMN_LABELS[column]}, ${count}`}</title>
                </rect>
              );
              below += count;
              return segment;
            })}
            <text x={x + BAR / 2} y={y(figures.repliesTotal) - 6} text-anchor="middle" fill={TEXT}>
              {figures.repliesTotal}
            </text>
            <text x={x + BAR / 2} y={HEIGHT - BOTTOM + 16} text-anchor="middle" fill={TEXT}>
              {figures.quarter!.slice(0, 4)}
            </text>
            <text x={x + BAR / 2} y={HEIGHT - BOTTOM + 30} text-anchor="middle" fill={TEXT}>
              {figures.quarter!.slice(5)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
