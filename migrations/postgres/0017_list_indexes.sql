DROP INDEX "decisions_by_status";--> statement-breakpoint
DROP INDEX "decisions_by_change";--> statement-breakpoint
DROP INDEX "posts_by_community";--> statement-breakpoint
DROP INDEX "posts_by_author";--> statement-breakpoint
CREATE INDEX "posts_by_community_any_kind" ON "posts" USING btree ("community_id","state","published_at","id");--> statement-breakpoint
CREATE INDEX "posts_by_author_any_kind" ON "posts" USING btree ("author_id","state","published_at","id");--> statement-breakpoint
CREATE INDEX "posts_by_time" ON "posts" USING btree ("state","kind","published_at","id");--> statement-breakpoint
CREATE INDEX "posts_by_id_state" ON "posts" USING btree ("id","state","kind");--> statement-breakpoint
CREATE INDEX "decisions_by_status" ON "decisions" USING btree ("status","post_id");--> statement-breakpoint
CREATE INDEX "decisions_by_change" ON "decisions" USING btree ("status_changed_at","post_id");--> statement-breakpoint
CREATE INDEX "posts_by_community" ON "posts" USING btree ("community_id","state","kind","published_at","id");--> statement-breakpoint
CREATE INDEX "posts_by_author" ON "posts" USING btree ("author_id","state","kind","published_at","id");