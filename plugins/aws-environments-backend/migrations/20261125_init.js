/**
 * Promotion requests and their audit history. Runs on SQLite (tests, local
 * portal) and PostgreSQL (production), so it uses only portable column types.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('promotions', table => {
    table.comment(
      'Requests to promote an entity from one environment to the next',
    );
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref').notNullable();
    table.string('project').notNullable();
    table.string('from_env').notNullable();
    table.string('to_env').notNullable();
    table.text('image').notNullable();
    table.string('status', 32).notNullable();
    table.string('trigger', 16).notNullable();
    table.string('requested_by').notNullable();
    table
      .string('on_behalf_of')
      .nullable()
      .comment(
        'For automatic requests: the user behind the triggering promotion',
      );
    table
      .string('triggered_by', 36)
      .nullable()
      .comment(
        'For automatic requests: the promotion whose success triggered it',
      );
    table.boolean('review_required').notNullable();
    table.string('decided_by').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_comment').nullable();
    // The replica that runs the deployment and until when its claim holds;
    // it renews the lease while the deployment runs, so an expired lease
    // means the replica went away mid-deployment.
    table.string('claimed_by').nullable();
    table.timestamp('claimed_at', { useTz: true }).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.text('failure_reason').nullable();
    // `pending` after a success into an environment followed by an `auto`
    // one, until the automatic request is created or given up on.
    table.string('auto_promotion', 16).nullable();
    table.timestamp('auto_promotion_until', { useTz: true }).nullable();
    // `${entity_ref}|${to_env}` while the request is open, NULL once closed:
    // a plain unique index on it allows one open request per entity and
    // target on every database (NULLs never collide), where a partial index
    // would be PostgreSQL-only.
    table.string('open_key').nullable().unique('promotions_open_key_unique');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'to_env'], 'promotions_entity_to_idx');
    table.index(['status'], 'promotions_status_idx');
  });

  await knex.schema.createTable('promotion_events', table => {
    table.comment('Audit history of promotion requests, append-only');
    table.bigIncrements('id');
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('promotions')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('actor').notNullable();
    table.string('action', 32).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).nullable();
    table.text('message').nullable();
    table.index(['promotion_id'], 'promotion_events_promotion_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('promotion_events');
  await knex.schema.dropTable('promotions');
};
