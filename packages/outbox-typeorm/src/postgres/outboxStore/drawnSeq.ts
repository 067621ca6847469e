/**
 * The highest `seq` drawn so far, read from the sequence row: `last_value` counts only once `nextval`
 * has been called (`is_called`); a fresh sequence holds its start value, not yet drawn.
 */
export const DRAWN_SEQ = 'CASE WHEN is_called THEN last_value ELSE last_value - 1 END';
