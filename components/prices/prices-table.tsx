import type { ActionResult } from '../../lib/actions/result';
import { microsToUsd } from '../../lib/money';
import type { PriceRow } from '../../lib/prices/service';
import { formatDate, formatDateTime, formatInteger, formatMicros } from '../format';
import { Badge } from '../ui/badge';
import { Table, TBody, TD, TDActions, TH, THActions, THead, TR } from '../ui/table';
import type { BundledPrice } from './bundled-price';
import { DeletePriceButton, EditPriceButton } from './price-dialogs';
import type { PriceFormAction } from './price-form';
import type { PriceFormValues } from './price-form-state';

export type PriceRowActions = {
  update: (priceId: string, state: Parameters<PriceFormAction>[0], formData: FormData) => ReturnType<PriceFormAction>;
  remove: (priceId: string) => Promise<ActionResult>;
};

const usd = (micros: bigint | null) => (micros === null ? '' : String(microsToUsd(micros)));

function editValues(row: PriceRow): PriceFormValues {
  return {
    provider: row.provider,
    model: row.model,
    input_per_million: usd(row.inputMicrosPerMTok),
    output_per_million: usd(row.outputMicrosPerMTok),
    cache_read_per_million: usd(row.cacheReadMicrosPerMTok),
    cache_write_per_million: usd(row.cacheWriteMicrosPerMTok),
    max_output_tokens: row.maxOutputTokens !== null ? String(row.maxOutputTokens) : '',
  };
}

/** A rate, or what applies without one (the cache rates fall back to the input price). */
function Rate({ micros, fallback }: { micros: bigint | null; fallback?: string }) {
  if (micros === null) return <span className="text-zinc-400">{fallback ?? '—'}</span>;
  return <span className="text-zinc-900">{formatMicros(micros, 'exact')}</span>;
}

/**
 * The workspace's own prices, in USD per million tokens, each marked when it overrides the bundled table's price
 * (`overridden`, by price id); without `actions` (not an admin), read-only.
 */
export function PricesTable({ rows, overridden = {}, actions }: { rows: PriceRow[]; overridden?: Record<string, BundledPrice>; actions?: PriceRowActions }) {
  return (
    <Table label="Prices">
      <THead>
        <tr>
          <TH>Model</TH>
          <TH align="right">Input</TH>
          <TH align="right">Output</TH>
          <TH align="right">Cache read</TH>
          <TH align="right">Cache write</TH>
          <TH align="right">Max output tokens</TH>
          <TH>Updated</TH>
          {actions && <THActions />}
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => {
          const name = `${row.provider}/${row.model}`;
          const bundled = overridden[row.id];
          return (
            <TR key={row.id} data-price-row={name}>
              <TD className="font-mono text-[13px] whitespace-nowrap">
                <span className="text-zinc-500">{row.provider}/</span>
                <span className="font-medium text-zinc-900">{row.model}</span>
                {bundled && (
                  <span className="mt-1 block font-sans" data-testid="price-overrides" title="The bundled @pydantic/genai-prices table has a price for this model; this one is used instead.">
                    <Badge tone="blue">
                      overrides bundled {formatMicros(bundled.inputMicrosPerMTok, 'exact')} / {formatMicros(bundled.outputMicrosPerMTok, 'exact')} per 1M
                    </Badge>
                  </span>
                )}
              </TD>
              <TD align="right">
                <Rate micros={row.inputMicrosPerMTok} />
              </TD>
              <TD align="right">
                <Rate micros={row.outputMicrosPerMTok} />
              </TD>
              <TD align="right">
                <Rate micros={row.cacheReadMicrosPerMTok} fallback="as input" />
              </TD>
              <TD align="right">
                <Rate micros={row.cacheWriteMicrosPerMTok} fallback="as input" />
              </TD>
              <TD align="right">
                {row.maxOutputTokens !== null ? <span className="text-zinc-900">{formatInteger(row.maxOutputTokens)}</span> : <span className="text-zinc-400">default</span>}
              </TD>
              <TD className="whitespace-nowrap text-zinc-700">
                <span title={formatDateTime(row.updatedAt)}>{formatDate(row.updatedAt)}</span>
              </TD>
              {actions && (
                <TDActions>
                  <EditPriceButton action={actions.update.bind(null, row.id)} initialValues={editValues(row)} name={name} />
                  <DeletePriceButton action={actions.remove.bind(null, row.id)} name={name} />
                </TDActions>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
