// The library's side of the selection rule (MessageSelection): the same subject patterns as the CLI.
import { describe, expect, it } from 'vitest';
import { checkSelection, selectionFilterParams } from '../src/postgres/outboxStore/messageSelection.js';

describe('MessageSelection subjects', () => {
  it('maps patterns and exact subjects to the filter: exact, prefix under a segment, all', () => {
    expect(selectionFilterParams({ subject: 'payment.created' }).slice(1, 3)).toEqual(['payment.created', null]);
    expect(selectionFilterParams({ subject: 'payment.*' }).slice(1, 3)).toEqual([null, 'payment.']);
    expect(selectionFilterParams({ subject: '*' }).slice(1, 3)).toEqual([null, '']);
    expect(selectionFilterParams({ exactSubject: 'promo*' }).slice(1, 3)).toEqual(['promo*', null]);
  });

  it.each([{ subject: 'promo*' }, { subject: '' }, { subject: 'a.*', exactSubject: 'a' }, { exactSubject: '' }])('refuses %j with InvalidOptionError naming selection.subject', (selection) => {
    expect(() => checkSelection(selection)).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'selection.subject' }));
  });
});
