package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Overwrite;

public record OverwriteView(long id, int type, long allow, long deny) {
    public static OverwriteView of(Overwrite o) {
        return new OverwriteView(o.id(), o.type(), o.allow(), o.deny());
    }
}
