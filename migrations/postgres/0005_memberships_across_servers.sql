CREATE TABLE "community_posts" (
	"community_id" integer NOT NULL,
	"post_uri" text NOT NULL,
	"remote_actor_id" integer NOT NULL,
	"received_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	CONSTRAINT "community_posts_community_id_post_uri_pk" PRIMARY KEY("community_id","post_uri")
);
--> statement-breakpoint
CREATE TABLE "memberships_elsewhere" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"target" text NOT NULL,
	"remote_actor_id" integer,
	"role" text,
	"state" text NOT NULL,
	"activity_uri" text,
	"membership_uri" text,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_members" (
	"id" text PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"target" text NOT NULL,
	"remote_actor_id" integer,
	"role" text NOT NULL,
	"state" text NOT NULL,
	"channel" text,
	"activity_uri" text,
	"invited_by" integer,
	"expires_at" bigint,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "remote_community_id" integer;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "organisation" text;--> statement-breakpoint
ALTER TABLE "community_posts" ADD CONSTRAINT "community_posts_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_posts" ADD CONSTRAINT "community_posts_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships_elsewhere" ADD CONSTRAINT "memberships_elsewhere_person_id_actors_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships_elsewhere" ADD CONSTRAINT "memberships_elsewhere_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_members" ADD CONSTRAINT "remote_members_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_members" ADD CONSTRAINT "remote_members_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_members" ADD CONSTRAINT "remote_members_invited_by_actors_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_posts_by_time" ON "community_posts" USING btree ("community_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_elsewhere_target" ON "memberships_elsewhere" USING btree ("person_id","target");--> statement-breakpoint
CREATE INDEX "memberships_elsewhere_by_actor" ON "memberships_elsewhere" USING btree ("remote_actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remote_members_target" ON "remote_members" USING btree ("community_id","target");--> statement-breakpoint
CREATE INDEX "remote_members_by_actor" ON "remote_members" USING btree ("remote_actor_id");--> statement-breakpoint
CREATE INDEX "remote_members_by_activity" ON "remote_members" USING btree ("activity_uri");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_remote_community_id_remote_actors_id_fk" FOREIGN KEY ("remote_community_id") REFERENCES "public"."remote_actors"("id") ON DELETE set null ON UPDATE no action;