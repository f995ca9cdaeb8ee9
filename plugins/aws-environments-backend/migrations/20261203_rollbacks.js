/**
 * Rollbacks, and what the delivery metrics read: every request says whether
 * it promotes or rolls back, which deployment a rollback undoes, and the
 * image its deployment replaced (the image a later rollback returns to).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.string('kind', 16).notNullable().defaultTo('promotion');
    table.string('rollback_of', 36).nullable();
    table.text('replaced_image').nullable();
    table.index(
      ['project', 'to_env', 'status'],
      'promotions_project_to_status_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropIndex([], 'promotions_project_to_status_idx');
    table.dropColumn('replaced_image');
    table.dropColumn('rollback_of');
    table.dropColumn('kind');
  });
};
