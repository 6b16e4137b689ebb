import { describe, expect, it } from 'vitest';
import { reasonText } from './widget.ts';

const item = { id: 'k1', domain: 'kitchen', score: 1 };

describe('reasonText', () => {
  it('says which history item drove the pick', () => {
    expect(reasonText({ ...item, reason: { itemId: 'f1', title: 'Green tea', type: 'purchase' } })).toBe('Because you bought Green tea');
  });

  it("adds HAF's attention weight and the domain whose history weighed most", () => {
    const reason = { itemId: 'f1', title: 'Green tea', type: 'view' as const, attention: 0.623, domain: 'food', domainWeight: 0.55 };
    expect(reasonText({ ...item, reason })).toBe('Because you viewed Green tea (attention 62%, food history 55%)');
  });

  it('has no reason line without a reason', () => {
    expect(reasonText(item)).toBeUndefined();
  });
});
