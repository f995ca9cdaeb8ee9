/**
 * Verification gates: the gate a request must pass before it deploys (a
 * snapshot of the target's `promotion.verification` when it was made, as
 * JSON), since when the source has been seen healthy without interruption,
 * when the gate passed, and what holds it back now.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.text('gate').nullable();
    table.timestamp('verifying_since', { useTz: true }).nullable();
    table.timestamp('verified_at', { useTz: true }).nullable();
    table.text('gate_blocked_by').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropColumn('gate_blocked_by');
    table.dropColumn('verified_at');
    table.dropColumn('verifying_since');
    table.dropColumn('gate');
  });
};
