import { describe, expect, it } from 'vitest';
import { orderIds } from './order';

const oldest = ['a', 'b', 'c', 'd'];

describe('gallery order', () => {
  it('sorts by date added either way', () => {
    expect(orderIds(oldest, 'oldest')).toEqual(['a', 'b', 'c', 'd']);
    expect(orderIds(oldest, 'newest')).toEqual(['d', 'c', 'b', 'a']);
  });

  it('puts the lowest confidence first and photos without one last, ties in the order added', () => {
    expect(orderIds(oldest, 'confidence', { a: 0.9, c: 0.2, d: 0.9 })).toEqual(['c', 'a', 'd', 'b']);
  });

  it('does not change the list it was given', () => {
    const ids = [...oldest];
    orderIds(ids, 'newest');
    expect(ids).toEqual(oldest);
  });
});
