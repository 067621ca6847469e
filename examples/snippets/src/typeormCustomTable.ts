// README (outbox-typeorm), "Create the table": migration and entity for another table or schema name.

// #region custom-table
import { createOutboxEntitySchema, createOutboxMigration } from '@tx-outbox/outbox-typeorm';

const CreateEvents = createOutboxMigration({ schema: 'messaging', tableName: 'events', name: 'CreateEvents1712000000000' });
const Events = createOutboxEntitySchema({ schema: 'messaging', tableName: 'events' });
// #endregion custom-table
