import type { Deployment } from '../../lib/deployments/schema';
import { Badge } from '../ui/badge';
import { ModelId } from './deployments-table';
import { ROLE_LABELS } from './deployment-form-state';

const parameterValue = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Model, fallbacks and parameters as a definition list. */
export function DeploymentSettings({ deployment }: { deployment: Deployment }) {
  const parameters = Object.entries(deployment.parameters);
  return (
    <dl className="divide-y divide-zinc-100 text-sm" data-testid="deployment-settings">
      <div className="flex gap-4 px-5 py-3">
        <dt className="w-24 shrink-0 text-zinc-500">Model</dt>
        <dd className="min-w-0 truncate">
          <ModelId id={`${deployment.provider}/${deployment.model}`} />
        </dd>
      </div>
      <div className="flex gap-4 px-5 py-3">
        <dt className="w-24 shrink-0 text-zinc-500">Fallbacks</dt>
        <dd className="min-w-0">
          {deployment.fallbacks.length === 0 ? (
            <span className="text-zinc-400">None</span>
          ) : (
            <ol className="space-y-1">
              {deployment.fallbacks.map((id, i) => (
                <li key={id} className="flex min-w-0 items-baseline gap-1.5" title={id}>
                  <span className="text-xs text-zinc-400 tabular-nums" aria-hidden="true">
                    {i + 1}.
                  </span>
                  <span className="min-w-0 truncate">
                    <ModelId id={id} />
                  </span>
                </li>
              ))}
            </ol>
          )}
        </dd>
      </div>
      <div className="flex gap-4 px-5 py-3">
        <dt className="w-24 shrink-0 text-zinc-500">Parameters</dt>
        <dd className="min-w-0">
          {parameters.length === 0 ? (
            <span className="text-zinc-400">Provider defaults</span>
          ) : (
            <ul className="flex flex-wrap gap-1.5">
              {parameters.map(([name, value]) => (
                <li key={name}>
                  <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">
                    {name}: {parameterValue(value)}
                  </code>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}

/** The prompt's messages in order, variables highlighted. */
export function DeploymentPrompt({ deployment }: { deployment: Deployment }) {
  if (deployment.messages.length === 0) {
    return <p className="px-5 py-4 text-sm text-zinc-500">No prompt: each call sends its own messages.</p>;
  }
  return (
    <ol className="divide-y divide-zinc-100" data-testid="deployment-prompt">
      {deployment.messages.map((m, i) => (
        <li key={i} className="flex flex-col gap-2 px-5 py-4 sm:flex-row sm:gap-4">
          <div className="w-24 shrink-0">
            <Badge tone={m.role === 'system' || m.role === 'developer' ? 'brand' : m.role === 'assistant' ? 'blue' : 'neutral'}>{ROLE_LABELS[m.role]}</Badge>
          </div>
          <p className="min-w-0 flex-1 font-mono text-[13px] leading-relaxed whitespace-pre-wrap text-zinc-800">
            {m.content.split(/(\{\{\s*[A-Za-z0-9_][A-Za-z0-9_.-]*\s*\}\})/).map((part, j) =>
              j % 2 === 1 ? (
                <mark key={j} className="rounded bg-brand-50 px-0.5 text-brand-700">
                  {part}
                </mark>
              ) : (
                part
              ),
            )}
          </p>
        </li>
      ))}
    </ol>
  );
}
