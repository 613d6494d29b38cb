CREATE TABLE "activities" (
	"id" text PRIMARY KEY NOT NULL,
	"json" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actor_keys" (
	"actor_id" integer NOT NULL,
	"algorithm" text NOT NULL,
	"private_jwk" text NOT NULL,
	"public_jwk" text NOT NULL,
	CONSTRAINT "actor_keys_actor_id_algorithm_pk" PRIMARY KEY("actor_id","algorithm")
);
--> statement-breakpoint
CREATE TABLE "actors" (
	"id" serial PRIMARY KEY NOT NULL,
	"handle" text NOT NULL,
	"kind" text NOT NULL,
	"display_name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"job_title" text,
	"avatar_url" text,
	"password_hash" text,
	"manually_approves_followers" boolean DEFAULT false NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	"deactivated_at" bigint,
	CONSTRAINT "actors_handle_unique" UNIQUE("handle")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"label" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	"revoked_at" bigint,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "blocked_actors" (
	"uri" text PRIMARY KEY NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followers" (
	"actor_id" integer NOT NULL,
	"remote_actor_id" integer NOT NULL,
	"follow_uri" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	CONSTRAINT "followers_actor_id_remote_actor_id_pk" PRIMARY KEY("actor_id","remote_actor_id")
);
--> statement-breakpoint
CREATE TABLE "followings" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_id" integer NOT NULL,
	"target" text NOT NULL,
	"remote_actor_id" integer,
	"state" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kv" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"expires_at" bigint
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"community_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"role" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	CONSTRAINT "memberships_community_id_person_id_pk" PRIMARY KEY("community_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "outgoing_reactions" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_id" integer NOT NULL,
	"object_uri" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"author_id" integer NOT NULL,
	"community_id" integer,
	"title" text,
	"iso_week" text,
	"summary" text,
	"body_markdown" text NOT NULL,
	"content_html" text NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"in_reply_to" text,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	"published_at" bigint,
	"updated_at" bigint,
	"deleted_at" bigint
);
--> statement-breakpoint
CREATE TABLE "queue_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"payload" text NOT NULL,
	"ordering_key" text,
	"available_at" bigint NOT NULL,
	"locked_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reactions" (
	"activity_uri" text PRIMARY KEY NOT NULL,
	"post_id" text NOT NULL,
	"remote_actor_id" integer NOT NULL,
	"kind" text NOT NULL,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_actors" (
	"id" serial PRIMARY KEY NOT NULL,
	"uri" text NOT NULL,
	"type" text NOT NULL,
	"handle" text,
	"name" text,
	"url" text,
	"icon_url" text,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"updated_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	CONSTRAINT "remote_actors_uri_unique" UNIQUE("uri")
);
--> statement-breakpoint
CREATE TABLE "remote_posts" (
	"uri" text PRIMARY KEY NOT NULL,
	"remote_actor_id" integer,
	"announced_by" text,
	"type" text NOT NULL,
	"name" text,
	"summary" text,
	"content_html" text NOT NULL,
	"url" text,
	"in_reply_to" text,
	"published_at" bigint NOT NULL,
	"updated_at" bigint,
	"deleted_at" bigint,
	"received_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replies" (
	"id" serial PRIMARY KEY NOT NULL,
	"uri" text NOT NULL,
	"post_id" text NOT NULL,
	"in_reply_to" text NOT NULL,
	"remote_actor_id" integer,
	"url" text,
	"content_html" text NOT NULL,
	"state" text DEFAULT 'visible' NOT NULL,
	"published_at" bigint NOT NULL,
	"updated_at" bigint,
	CONSTRAINT "replies_uri_unique" UNIQUE("uri")
);
--> statement-breakpoint
ALTER TABLE "actor_keys" ADD CONSTRAINT "actor_keys_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_person_id_actors_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followers" ADD CONSTRAINT "followers_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followers" ADD CONSTRAINT "followers_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followings" ADD CONSTRAINT "followings_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followings" ADD CONSTRAINT "followings_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_actors_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_reactions" ADD CONSTRAINT "outgoing_reactions_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_actors_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_community_id_actors_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactions" ADD CONSTRAINT "reactions_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactions" ADD CONSTRAINT "reactions_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_posts" ADD CONSTRAINT "remote_posts_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_remote_actor_id_remote_actors_id_fk" FOREIGN KEY ("remote_actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "followers_by_remote" ON "followers" USING btree ("remote_actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followings_actor_target" ON "followings" USING btree ("actor_id","target");--> statement-breakpoint
CREATE UNIQUE INDEX "outgoing_reactions_once" ON "outgoing_reactions" USING btree ("actor_id","object_uri","kind");--> statement-breakpoint
CREATE INDEX "posts_by_community" ON "posts" USING btree ("community_id","published_at");--> statement-breakpoint
CREATE INDEX "posts_by_author" ON "posts" USING btree ("author_id","published_at");--> statement-breakpoint
CREATE INDEX "queue_ready" ON "queue_messages" USING btree ("queue","available_at");--> statement-breakpoint
CREATE INDEX "queue_ordering" ON "queue_messages" USING btree ("queue","ordering_key","id");--> statement-breakpoint
CREATE UNIQUE INDEX "reactions_once" ON "reactions" USING btree ("post_id","remote_actor_id","kind");--> statement-breakpoint
CREATE INDEX "remote_posts_by_published" ON "remote_posts" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "replies_by_post" ON "replies" USING btree ("post_id","published_at");