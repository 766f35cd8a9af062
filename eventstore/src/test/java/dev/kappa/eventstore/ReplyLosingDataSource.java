package dev.kappa.eventstore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Loses a reply, on demand: once {@link #loseTheNextReplyTo armed}, the next statement containing the marker that runs
 * in auto-commit is executed — and so committed — and then its caller gets a lost connection (SQL state 08006)
 * instead of the answer, and the connection is closed. That is a connection dying between PostgreSQL's commit and the
 * reply, which no kill from outside can aim at.
 */
final class ReplyLosingDataSource extends DelegatingDataSource {

    private final AtomicReference<String> marker = new AtomicReference<>();
    private final AtomicInteger lost = new AtomicInteger();

    /** @param target a non-pooling data source: a closed connection must end its session */
    ReplyLosingDataSource(DataSource target) {
        super(target);
    }

    void loseTheNextReplyTo(String sqlMarker) {
        marker.set(sqlMarker);
    }

    int repliesLost() {
        return lost.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = super.getConnection();
        return proxy(Connection.class, (self, method, args) -> {
            Object result = invoke(connection, method, args);
            if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
                return losingReplies((PreparedStatement) result, sql, connection);
            }
            return result;
        });
    }

    private PreparedStatement losingReplies(PreparedStatement statement, String sql, Connection connection) {
        return proxy(PreparedStatement.class, (self, method, args) -> {
            Object result = invoke(statement, method, args);
            if (method.getName().startsWith("execute") && connection.getAutoCommit()) {
                String armed = marker.get();
                if (armed != null && sql.contains(armed) && marker.compareAndSet(armed, null)) {
                    if (result instanceof ResultSet rs) {
                        rs.close();
                    }
                    lost.incrementAndGet();
                    connection.close();
                    throw new SQLException("the reply was lost on its way (test)", "08006");
                }
            }
            return result;
        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
