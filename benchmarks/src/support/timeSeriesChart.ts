// Charts of figures over time: panels of lines against minutes, drawn with pureimage (pure JS canvas,
// no browser, no native code) and the DejaVu Sans font from the dejavu-fonts-ttf package.
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import * as PImage from 'pureimage';

/** One line of a panel. */
export interface Series {
  label: string;
  color: string;
  values: number[];
}

/** One panel: a title, the unit of its y axis, its lines. */
export interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const WIDTH = 960;
const PANEL_HEIGHT = 240;
const MARGIN = { left: 80, right: 200, top: 34, bottom: 30 };
const FONT = 'DejaVu Sans';
let fontLoaded = false;

/** A vertical line across every panel, e.g. where a phase begins. */
export interface Marker {
  atMinutes: number;
  label: string;
}

/** Writes `path` (PNG): the panels one under the other, against `minutes`, with the markers. */
/** The claim-time panel both charts open with: p99 and p50 of the claims that returned messages. */
export function claimTimePanel(rows: ReadonlyArray<{ claimP50Ms: number; claimP99Ms: number }>): Panel {
  return { title: 'Claim time (claims that returned messages)', unit: 'ms', series: [
    { label: 'claim p99', color: '#d62728', values: rows.map((r) => r.claimP99Ms) },
    { label: 'claim p50', color: '#1f77b4', values: rows.map((r) => r.claimP50Ms) },
  ] };
}

export async function renderTimeSeriesChart(panels: readonly Panel[], minutes: readonly number[], path: string, markers: readonly Marker[] = []): Promise<void> {
  if (!fontLoaded) {
    const fontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
    PImage.registerFont(fontPath, FONT).loadSync();
    fontLoaded = true;
  }
  const image = PImage.make(WIDTH, PANEL_HEIGHT * panels.length);
  const ctx = image.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, PANEL_HEIGHT * panels.length);
  panels.forEach((panel, i) => drawPanel(ctx, panel, minutes, i * PANEL_HEIGHT, markers));
  await PImage.encodePNGToStream(image, createWriteStream(path));
}

type Ctx = ReturnType<ReturnType<typeof PImage.make>['getContext']>;

function drawPanel(ctx: Ctx, panel: Panel, xs: readonly number[], top: number, markers: readonly Marker[]): void {
  const x0 = MARGIN.left;
  const x1 = WIDTH - MARGIN.right;
  const y0 = top + PANEL_HEIGHT - MARGIN.bottom;
  const y1 = top + MARGIN.top;
  const xMax = Math.max(1e-9, ...xs);
  const yMax = niceCeiling(Math.max(1e-9, ...panel.series.flatMap((s) => s.values)));
  const px = (x: number) => x0 + (x / xMax) * (x1 - x0);
  const py = (y: number) => y0 - (y / yMax) * (y0 - y1);

  ctx.font = `15px '${FONT}'`;
  ctx.fillStyle = '#000000';
  ctx.fillText(panel.title, x0, top + 20);
  ctx.font = `12px '${FONT}'`;
  ctx.strokeStyle = '#dddddd';
  ctx.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const y = py((yMax * k) / 4);
    ctx.beginPath();
    ctx.moveTo(x0, y);
    ctx.lineTo(x1, y);
    ctx.stroke();
    ctx.fillStyle = '#333333';
    ctx.fillText(`${formatTick((yMax * k) / 4)} ${panel.unit}`, 6, y + 4);
  }
  for (let k = 0; k <= 5; k++) {
    const x = (xMax * k) / 5;
    ctx.fillText(`${x.toFixed(xMax < 10 ? 1 : 0)} min`, px(x) - 16, y0 + 18);
  }
  ctx.strokeStyle = '#000000';
  ctx.beginPath();
  ctx.moveTo(x0, y1);
  ctx.lineTo(x0, y0);
  ctx.lineTo(x1, y0);
  ctx.stroke();
  ctx.strokeStyle = '#888888';
  ctx.lineWidth = 1;
  for (const marker of markers) {
    ctx.beginPath();
    ctx.moveTo(px(marker.atMinutes), y1);
    ctx.lineTo(px(marker.atMinutes), y0);
    ctx.stroke();
    ctx.fillStyle = '#555555';
    ctx.fillText(marker.label, px(marker.atMinutes) + 3, y1 + 12);
  }
  panel.series.forEach((series, s) => {
    ctx.strokeStyle = series.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    series.values.forEach((v, k) => (k === 0 ? ctx.moveTo(px(xs[k]!), py(v)) : ctx.lineTo(px(xs[k]!), py(v))));
    ctx.stroke();
    ctx.fillStyle = series.color;
    ctx.fillRect(x1 + 16, y1 + 10 + s * 20, 14, 4);
    ctx.fillStyle = '#000000';
    ctx.fillText(series.label, x1 + 36, y1 + 16 + s * 20);
  });
}

/** 1, 2 or 5 × a power of ten, at least `v`: round axis maxima. */
function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= v)!;
}

function formatTick(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

