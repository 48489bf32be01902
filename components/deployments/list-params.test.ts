import { describe, expect, test } from 'vitest';
import { deploymentListHref, parseDeploymentListParams } from './list-params';

describe('deployment list params', () => {
  test('unknown or broken values fall back to the defaults', () => {
    expect(parseDeploymentListParams({})).toEqual({ q: '', page: 1, size: 20 });
    expect(parseDeploymentListParams({ q: ['  bot  ', 'x'], page: '-2', size: '7' })).toEqual({ q: 'bot', page: 1, size: 20 });
    expect(parseDeploymentListParams({ q: 'a', page: '3', size: '50' })).toEqual({ q: 'a', page: 3, size: 50 });
  });

  test('links leave defaults out and round-trip', () => {
    expect(deploymentListHref({ q: '', page: 1, size: 20 })).toBe('/deployments');
    const href = deploymentListHref({ q: 'support bot', page: 2, size: 50 });
    expect(href).toBe('/deployments?q=support+bot&page=2&size=50');
    expect(parseDeploymentListParams(Object.fromEntries(new URL(href, 'http://x').searchParams))).toEqual({ q: 'support bot', page: 2, size: 50 });
  });
});
