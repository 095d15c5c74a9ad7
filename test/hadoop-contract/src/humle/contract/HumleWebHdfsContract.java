package humle.contract;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * Hadoop's WebHDFS contract, as Hadoop's own RouterWebHDFSContract declares it (contract/hdfs.xml overlaid by
 * contract/webhdfs.xml, both read from hadoop-hdfs-rbf's test-sources jar on the classpath), on the `humle server`
 * named by the system property humle.webhdfs.uri (webhdfs://127.0.0.1:PORT).
 */
public class HumleWebHdfsContract extends AbstractFSContract {
  public HumleWebHdfsContract(Configuration conf) {
    super(conf);
    addConfResource("contract/hdfs.xml");
    addConfResource("contract/webhdfs.xml");
  }

  @Override
  public String getScheme() {
    return "webhdfs";
  }

  @Override
  public FileSystem getTestFileSystem() throws IOException {
    String uri = System.getProperty("humle.webhdfs.uri");
    if (uri == null) throw new IllegalStateException("set -Dhumle.webhdfs.uri=webhdfs://127.0.0.1:PORT");
    return FileSystem.get(URI.create(uri), getConf());
  }

  @Override
  public Path getTestPath() {
    return new Path("/test");
  }
}
