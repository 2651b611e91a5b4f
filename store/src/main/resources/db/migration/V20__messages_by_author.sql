-- A ban with delete_message_seconds deletes the banned user's recent messages across the guild.
CREATE INDEX messages_guild_author ON messages (guild_id, author_id, id);
