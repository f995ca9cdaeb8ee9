/**
 * The last CloudFormation drift detection of each (project, environment)'s
 * stack, and the check running now, shared by every replica: the claim on
 * `started_at` is what limits on-demand checks to one per environment per
 * few minutes across replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environment_drift', table => {
    table.comment(
      'Per project and environment: the last drift detection of its stack and the one running',
    );
    table.string('project').notNullable();
    table.string('environment').notNullable();
    table
      .string('status')
      .nullable()
      .comment(
        'in_sync, drifted or failed: the last finished check; null before',
      );
    table.integer('drifted_count').notNullable().defaultTo(0);
    table
      .text('resources')
      .nullable()
      .comment(
        'JSON of DriftedResource[]; SSM parameter values are never stored',
      );
    table.text('error').nullable();
    table.timestamp('checked_at', { useTz: true }).nullable();
    table
      .timestamp('started_at', { useTz: true })
      .nullable()
      .comment('When the running or last check started (the rate limit)');
    table
      .timestamp('checking_since', { useTz: true })
      .nullable()
      .comment('Set while a check runs, cleared when it stores its result');
    table.primary(['project', 'environment']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_drift');
};
