/**
 * The status snapshot of each (project, environment): the summary the
 * status page and the tab's overview show, refreshed in the background by
 * one replica at a time and read by all of them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('status_snapshots', table => {
    table.comment(
      'Per project and environment: the last status summary read from AWS and when to read it again',
    );
    table.string('project').notNullable();
    table.string('environment').notNullable();
    table.text('summary').nullable().comment('JSON of EnvironmentSummary');
    table.timestamp('fetched_at', { useTz: true }).nullable();
    table
      .timestamp('viewed_at', { useTz: true })
      .nullable()
      .comment('Last time a page showed it: recently viewed ones are hot');
    table
      .timestamp('requested_at', { useTz: true })
      .nullable()
      .comment(
        'Set by a view of a missing or stale snapshot, cleared by its refresh',
      );
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.primary(['project', 'environment']);
    table.index(['due_at'], 'status_snapshots_due_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('status_snapshots');
};
