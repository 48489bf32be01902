'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { axisTicks, formatCompact, formatCost, formatDayLabel, formatInteger, formatUsdTick } from '../format';

export type ChartPoint = { day: string; costUsd: number; requests: number; tokens: number; errors: number };

type Metric = 'costUsd' | 'requests' | 'tokens';

const METRICS: Record<Metric, { title: string; color: string; format: (n: number) => string; axis: (n: number) => string }> = {
  // The cost axis gets its own ticks and formatter (MetricChart), with the decimals of their step.
  costUsd: { title: 'Cost', color: '#6d4aff', format: formatCost, axis: formatCost },
  requests: { title: 'Requests', color: '#0ea5e9', format: formatInteger, axis: formatCompact },
  tokens: { title: 'Tokens', color: '#10b981', format: formatInteger, axis: formatCompact },
};

function ChartTooltip({ active, payload, metric }: Pick<TooltipContentProps, 'active' | 'payload'> & { metric: Metric }) {
  if (!active || !payload?.length) return null;
  const point = payload[0].payload as ChartPoint;
  return (
    <div className="rounded-lg bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-zinc-200">
      <p className="font-medium text-zinc-900">{formatDayLabel(point.day)}</p>
      <p className="text-zinc-600">
        {METRICS[metric].title}: <span className="font-medium text-zinc-900 tabular-nums">{METRICS[metric].format(point[metric])}</span>
      </p>
      {metric === 'requests' && point.errors > 0 && <p className="text-red-700">Errors: {formatInteger(point.errors)}</p>}
    </div>
  );
}

function MetricChart({ data, metric }: { data: ChartPoint[]; metric: Metric }) {
  const m = METRICS[metric];
  const total = data.reduce((sum, p) => sum + p[metric], 0);
  const points = metric === 'requests' ? data.map((p) => ({ ...p, succeeded: p.requests - p.errors })) : data;
  // Money ticks we pick ourselves, so each label can have the decimals its step needs ("$0.015", not "$0.02").
  const usdTicks = metric === 'costUsd' ? axisTicks(Math.max(0, ...data.map((p) => p.costUsd))) : null;
  return (
    <figure className="min-w-0">
      <figcaption className="mb-3 flex items-baseline justify-between gap-2 px-1">
        <span className="text-sm font-medium text-zinc-700">{m.title} per day</span>
        <span className="text-sm font-semibold text-zinc-900 tabular-nums">{m.format(total)}</span>
      </figcaption>
      <div className="relative h-44" role="img" aria-label={`${m.title} per day over the last ${data.length} days, ${m.format(total)} in total`}>
        {total === 0 && (
          <p className="absolute inset-0 z-10 flex items-center justify-center pb-6 pl-12 text-sm text-zinc-500">No usage in this period</p>
        )}
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 176 }}>
          <BarChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap="18%">
            <CartesianGrid vertical={false} stroke="#f4f4f5" />
            <XAxis
              dataKey="day"
              tickFormatter={formatDayLabel}
              tick={{ fontSize: 11, fill: '#71717a' }}
              tickLine={false}
              axisLine={{ stroke: '#e4e4e7' }}
              interval="preserveStartEnd"
              minTickGap={24}
            />
            <YAxis
              {...(usdTicks ? { ticks: usdTicks, domain: [0, usdTicks[usdTicks.length - 1]] } : {})}
              tickFormatter={usdTicks ? (n: number) => formatUsdTick(n, usdTicks) : m.axis}
              tick={{ fontSize: 11, fill: '#71717a' }}
              tickLine={false}
              axisLine={false}
              width={metric === 'costUsd' ? 56 : 44}
              allowDecimals={metric === 'costUsd'}
            />
            <Tooltip cursor={{ fill: '#f4f4f5' }} content={({ active, payload }) => <ChartTooltip active={active} payload={payload} metric={metric} />} />
            {metric === 'requests' ? (
              <>
                <Bar dataKey="succeeded" name="Succeeded" stackId="r" fill={m.color} isAnimationActive={false} />
                <Bar dataKey="errors" name="Errors" stackId="r" fill="#ef4444" radius={[3, 3, 0, 0]} isAnimationActive={false} />
              </>
            ) : (
              <Bar dataKey={metric} fill={m.color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Daily cost, requests and tokens over the last 30 days. */
export function UsageCharts({ data }: { data: ChartPoint[] }) {
  return (
    <div className="grid grid-cols-1 gap-6 px-5 py-5 md:grid-cols-3">
      <MetricChart data={data} metric="costUsd" />
      <MetricChart data={data} metric="requests" />
      <MetricChart data={data} metric="tokens" />
    </div>
  );
}
