'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { axisTicks, formatCost, formatInteger, formatUsdTick } from '../format';

export type SpendBar = { label: string; costUsd: number; requests: number };

export const SPEND_COLORS = ['#6d4aff', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#14b8a6', '#a1a1aa'];

function SpendTooltip({ active, payload }: Pick<TooltipContentProps, 'active' | 'payload'>) {
  if (!active || !payload?.length) return null;
  const bar = payload[0].payload as SpendBar;
  return (
    <div className="rounded-lg bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-zinc-200">
      <p className="font-medium text-zinc-900">{bar.label}</p>
      <p className="text-zinc-600">
        Spend: <span className="font-medium text-zinc-900 tabular-nums">{formatCost(bar.costUsd)}</span>
      </p>
      <p className="text-zinc-600">
        Requests: <span className="font-medium text-zinc-900 tabular-nums">{formatInteger(bar.requests)}</span>
      </p>
    </div>
  );
}

/** Spend per slice (model or provider) as horizontal bars, biggest first; each bar's colour matches its table row. */
export function SpendBars({ data, title }: { data: SpendBar[]; title: string }) {
  const total = data.reduce((sum, d) => sum + d.costUsd, 0);
  const height = Math.max(96, data.length * 34 + 28);
  // Ticks we pick ourselves, so each label has the decimals its step needs.
  const ticks = axisTicks(Math.max(0, ...data.map((d) => d.costUsd)));
  return (
    <div className="relative" style={{ height }} role="img" data-chart aria-label={`${title}: ${data.map((d) => `${d.label} ${formatCost(d.costUsd)}`).join(', ')}`}>
      {total === 0 && <p className="absolute inset-0 z-10 flex items-center justify-center text-sm text-zinc-500">No priced spend in this period</p>}
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 12, bottom: 0, left: 0 }} barCategoryGap="22%">
          <CartesianGrid horizontal={false} stroke="#f4f4f5" />
          <XAxis
            type="number"
            ticks={ticks}
            domain={[0, ticks[ticks.length - 1]]}
            tickFormatter={(n: number) => formatUsdTick(n, ticks)}
            tick={{ fontSize: 11, fill: '#71717a' }}
            tickLine={false}
            axisLine={{ stroke: '#e4e4e7' }}
          />
          <YAxis
            type="category"
            dataKey="label"
            width={148}
            tick={{ fontSize: 12, fill: '#3f3f46' }}
            tickLine={false}
            axisLine={false}
            tickFormatter={(label: string) => (label.length > 18 ? `${label.slice(0, 17)}…` : label)}
          />
          <Tooltip cursor={{ fill: '#f4f4f5' }} content={({ active, payload }) => <SpendTooltip active={active} payload={payload} />} />
          <Bar dataKey="costUsd" name="Spend" radius={[0, 3, 3, 0]} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.label} fill={SPEND_COLORS[i % SPEND_COLORS.length]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
