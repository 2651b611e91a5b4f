package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Application;
import java.util.List;
import java.util.Optional;

public interface Applications {
    void insert(Application application);

    Optional<Application> find(long id);

    List<Application> listByOwner(long ownerId);

    void updateFlags(long id, int flags);

    void update(Application application);
}
