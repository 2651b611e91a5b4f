package dev.gatehouse.core.store;

import dev.gatehouse.core.model.AccessGrant;
import dev.gatehouse.core.model.AuthorizationCode;
import dev.gatehouse.core.model.OAuth2Client;
import java.util.List;
import java.util.Optional;

/** OAuth2 client settings, authorisation codes and access grants; secrets and tokens by hash only. */
public interface OAuth2Grants {
    Optional<OAuth2Client> client(long applicationId);

    void saveClient(OAuth2Client client);

    void insertCode(byte[] codeHash, AuthorizationCode code);

    /** Deletes the code and returns it, if it was there: of two exchanges racing, one gets it. */
    Optional<AuthorizationCode> takeCode(byte[] codeHash);

    /** Forgets codes that expired before {@code nowMillis}. */
    void deleteExpiredCodes(long nowMillis);

    void insertGrant(AccessGrant grant, byte[] accessHash, byte[] refreshHash);

    Optional<AccessGrant> byAccessToken(byte[] accessHash);

    Optional<AccessGrant> byRefreshToken(byte[] refreshHash);

    Optional<AccessGrant> grant(long id);

    /** The person's grants, newest first, expired ones included until they are cleaned up. */
    List<AccessGrant> grantsOf(long userId);

    boolean deleteGrant(long id);

    /** Forgets grants that expired before {@code nowMillis} and have no refresh token. */
    void deleteExpiredGrants(long nowMillis);
}
