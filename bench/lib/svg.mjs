// Hand-written SVG charts for the bench report (no chart library): grouped bars, ours beside the reference.
// One chart = one panel: a title, a y axis with a few ticks, groups of bars (one bar per series) with value labels.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A tick step of 1, 2 or 5 × 10^k giving at most ~6 ticks up to `max`. */
function tickStep(max) {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/**
 * A grouped bar panel at (x, y) of size (w, h).
 * groups: [{ label, values: [number|null per series], colors?: [override per series] }]; series: [{ name, color }];
 * unit: axis label.
 */
export function barPanel({ x, y, w, h, title, unit, groups, series }) {
  const top = 34;
  const bottom = 40;
  const left = 56;
  const plotH = h - top - bottom;
  const plotW = w - left - 12;
  const max = Math.max(1e-9, ...groups.flatMap((g) => g.values.filter((v) => typeof v === 'number')));
  const step = tickStep(max);
  const yMax = Math.ceil(max / step) * step;
  const sy = (v) => y + top + plotH - (v / yMax) * plotH;
  const out = [];
  out.push(`<text x="${x + w / 2}" y="${y + 18}" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const yy = sy(v);
    out.push(`<line x1="${x + left}" y1="${yy}" x2="${x + left + plotW}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${x + left - 6}" y="${yy + 4}" text-anchor="end" font-size="11" fill="#555">${step >= 1 ? v.toFixed(0) : fmt(v)}</text>`);
  }
  out.push(`<text transform="translate(${x + 14},${y + top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="#555">${esc(unit)}</text>`);
  const groupW = plotW / groups.length;
  const barW = Math.min(38, (groupW * 0.7) / series.length);
  groups.forEach((g, gi) => {
    const gx = x + left + gi * groupW + (groupW - barW * series.length) / 2;
    g.values.forEach((v, si) => {
      if (typeof v !== 'number') return;
      const bx = gx + si * barW;
      const by = sy(v);
      const color = g.colors?.[si] ?? series[si].color;
      out.push(`<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(y + top + plotH - by).toFixed(1)}" fill="${color}"><title>${esc(`${g.label} ${g.colors?.[si] ? '' : `${series[si].name}: `}${fmt(v)} ${unit}`)}</title></rect>`);
      out.push(`<text x="${(bx + (barW - 2) / 2).toFixed(1)}" y="${(by - 3).toFixed(1)}" text-anchor="middle" font-size="10">${fmt(v)}</text>`);
    });
    out.push(`<text x="${(x + left + gi * groupW + groupW / 2).toFixed(1)}" y="${y + top + plotH + 16}" text-anchor="middle" font-size="12">${esc(g.label)}</text>`);
  });
  out.push(`<line x1="${x + left}" y1="${y + top + plotH}" x2="${x + left + plotW}" y2="${y + top + plotH}" stroke="#333"/>`);
  return out.join('\n');
}

/** A legend row at (x, y). */
export function legend({ x, y, series }) {
  return series
    .map((s, i) => `<rect x="${x + i * 190}" y="${y - 10}" width="12" height="12" fill="${s.color}"/><text x="${x + i * 190 + 18}" y="${y}" font-size="12">${esc(s.name)}</text>`)
    .join('\n');
}

/** A whole SVG document of width w and height h around `body`. */
export function svgDocument({ w, h, title, body }) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif">
<title>${esc(title)}</title>
<rect width="${w}" height="${h}" fill="#fff"/>
${body}
</svg>
`;
}
